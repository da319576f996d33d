# pkce-tray 的简体中文。同一事物始终用同一个词：“登录”“退出登录”“会话”
# “账户”“提供方”“钥匙串”。

## 会话状态

status-signed-in-as = 已以 { $who } 身份登录
status-signed-in = 已登录
status-signing-in-again = 已以 { $who } 身份登录；正在重新登录…
status-signing-in = 正在登录…
status-failed = 登录失败
status-signed-out = 已退出登录

## 托盘菜单

menu-not-signed-in = 未登录
menu-account-line = { $account }：{ $state }
menu-keychain = 钥匙串不可用：登录状态保持到退出
menu-provider-sign-out = 在提供方处仍然登录？到那里退出登录…
menu-sign-in = 登录…
menu-cancel = 取消登录
menu-sign-out = 退出登录
menu-notifications = 通知
menu-start-at-login = 登录系统时启动
menu-open = 打开 pkce-tray
menu-quit = 退出
menu-other-ended = 会话已结束
menu-other-signed-out = 未登录
menu-other-signed-in-as = 已以 { $who } 身份登录
menu-other-signed-in = 已登录
menu-other-signing-in-again = 已以 { $who } 身份登录；正在重新登录…
menu-other-signing-in = 正在登录…
menu-other-failed = 登录失败
menu-sign-in-to = 登录 { $account }…
menu-cancel-sign-in-to = 取消登录 { $account }
menu-sign-out-of = 退出 { $account } 的登录
menu-use-as-default = 将 { $account } 设为默认

## 提示文字

tooltip = pkce-tray：{ $state }
tooltip-provider = 提供方可能仍保留着会话
tooltip-keychain = 钥匙串不可用
tooltip-attention = { $accounts } 需要处理

## 通知

notice-session-ended = 你的会话已结束
notice-session-ended-named = { $account }：会话已结束
notice-session-ended-who = { $who } 已不再登录。
notice-session-ended-you = 你已不再登录。
notice-signed-in = 已登录
notice-signed-in-named = { $account }：已登录
notice-signed-in-who = 已以 { $who } 身份登录。
notice-signed-in-done = 登录已完成。
notice-client-signed-in = 登录已完成
notice-client-signed-in-named = { $account }：登录已完成
notice-client-signed-in-body = 这台电脑上的一个程序发起了登录，并已收到结果。
notice-sign-in-failed = 登录失败
notice-sign-in-failed-named = { $account }：登录失败
notice-not-saved = 会话未保存
notice-not-saved-named = { $account }：会话未保存
notice-not-saved-body = 钥匙串未能保存会话；会话在 pkce-tray 退出前有效。
notice-sign-in = 登录

## 登录结束时浏览器显示的页面

page-success-title = 你已登录
page-success-text = pkce-tray 已收到你的登录。你可以关闭此标签页。
page-failure-title = 登录未完成

## 窗口

window-loading = 正在加载…
window-sign-in-hint = 请用你的账户登录。浏览器会打开登录页面；完成后回到这里。
window-sign-in = 登录
window-provider-sign-out = 同时在提供方处退出登录
window-finish-in-browser = 请在浏览器中完成登录。
window-reopen = 重新打开登录页面
window-cancel = 取消
window-retry = 重试
window-offer = pkce-tray 运行时，你的工具可以使用此登录。打开下方的“{ window-start-at-login }”，每次重启后都能使用。
window-sign-out = 退出登录
window-other-accounts = 其他账户
window-add-account = 添加账户
window-add-account-hint = pkce-tray 会先检查提供方，再把账户保存到配置文件中。
window-name = 名称
window-issuer = 提供方（颁发者）
window-client-id = 客户端 ID
window-checking = 正在检查提供方…
window-notifications = 通知
window-start-at-login = 登录系统时启动
window-api = 本地 PKCE API：
window-expiry = 会话会自动续期（令牌有效期至 { $time }）。
window-default = { $account }（默认）
window-sign-in-to = 登录 { $account }
window-cancel-sign-in-to = 取消登录 { $account }
window-sign-out-of = 退出 { $account } 的登录
window-use-as-default = 设为默认
window-use-as-default-label = 将 { $account } 设为默认账户
