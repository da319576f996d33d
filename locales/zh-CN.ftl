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
menu-provider-sign-out = 在提供方处仍处于登录状态？到那里退出登录…
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
menu-sign-out-of = 退出登录 { $account }
menu-use-as-default = 将 { $account } 设为默认

## 提示文字

tooltip = pkce-tray：{ $state }
tooltip-provider = 提供方可能仍保留着会话
tooltip-keychain = 钥匙串不可用
tooltip-joined = { $first }；{ $next }
list-joined = { $first }、{ $next }
sentences-joined = { $first }{ $next }
tooltip-attention = { $accounts } 需要处理

## 通知

notice-session-ended = 你的会话已结束
notice-session-ended-named = { $account }：会话已结束
notice-session-ended-who = { $who } 的登录已失效。
notice-session-ended-you = 你的登录已失效。
notice-signed-in = 已登录
notice-signed-in-named = { $account }：已登录
notice-signed-in-who = 已以 { $who } 身份登录。
notice-signed-in-done = 登录已完成。
notice-client-signed-in = 登录已完成
notice-client-signed-in-named = { $account }：登录已完成
notice-client-signed-in-body = 这台电脑上的一个程序发起了此次登录，并已收到结果。
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
window-provider-sign-out-of = 同时在提供方处退出登录 { $account }
window-finish-in-browser = 请在浏览器中完成登录。
window-reopen = 重新打开登录页面
window-cancel = 取消
window-retry = 重试
window-offer = pkce-tray 运行时，你的工具可以使用此登录。打开下方的“{ window-start-at-login }”，每次重启后都能使用。
window-sign-out = 退出登录
window-other-accounts = 其他账户
window-details = 详细信息
window-details-of = { $account } 的详细信息
window-redirect-uris = 要注册的重定向 URI
window-kept-in-keychain = 保存在系统钥匙串中
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
window-sign-out-of = 退出登录 { $account }
window-use-as-default = 设为默认
window-use-as-default-label = 将 { $account } 设为默认账户
window-announced = { $state }。{ $why }

## 失败或结束的原因。提供方或系统给出的原因按原文附在后面。

error-other = { $detail }
error-busy = 已有一次登录正在进行
error-unknown-account = 没有名为“{ $name }”的账户；现有账户：{ $known }
error-redirect-refused = 提供方拒绝了登录请求（{ $cause }）。端口 { $wanted } 被占用或不允许此用户使用，所以 pkce-tray 在端口 { $port } 上监听；而严格匹配重定向 URI 的提供方只接受已注册的那一个：请在提供方注册 { $redirect }，或让 pkce-tray 能使用端口 { $wanted } 后重新启动
error-unknown-state = 没有登录在等待这个 state；它未知、已过期或已被使用
error-wrong-callback = 这个应答回到了另一个账户的重定向 URI，而不是其登录发出的那个，因此被拒绝；登录仍在等待其提供方
error-already-waiting = 已有一个请求在等待这次登录的回应
error-challenge-mismatch = code_challenge 与为这个 state 签发的不一致
error-cleared = 提供方回应之前，这次登录已被清除
error-too-many-waiting = 已有 { $count } 次登录在等待浏览器；请先完成或取消其中一次，然后重试
error-browser-timed-out = 浏览器在 { $minutes } 分钟内没有返回。请重试。
error-cancelled = 登录已被取消或拒绝（{ $description }）。
error-provider-answered = 提供方回应 { $error }：{ $description }
error-unreachable = 无法连接 { $host } 上的登录服务。请检查网络连接后重试。
error-untrusted = { $host } 上的提供方出示了这台电脑不信任的证书；如果它来自私有证书颁发机构，请把该机构加入系统的证书存储，或在 SSL_CERT_FILE 中指定其 PEM 文件
error-refused = 提供方拒绝了：{ $description }（{ $error }）。
error-provider-status = 提供方以 { $status } 回应了请求（{ $what }），没有给出 OAuth 错误
error-provider-status-bare = 提供方以 { $status } 回应了请求（{ $what }），没有给出更多信息
error-bad-response = 提供方的回应不符合 OpenID Connect：{ $detail }
error-invalid-id-token = ID 令牌被拒绝：{ $detail }
error-no-revocation = 提供方没有吊销端点
error-no-pushed-requests = 提供方要求使用 Pushed Authorization Requests（RFC 9126），却没有给出 pushed_authorization_request_endpoint
error-no-device-flow = 提供方不支持从其他设备登录（其发现文档中没有 device_authorization_endpoint）；请在浏览器中登录，或通过 SSH 使用 `pkce-tray sign-in --no-browser` 和转发的端口登录
error-not-signed-in = 未登录
error-cannot-renew = 访问令牌将在 { $seconds } 秒后过期，且没有可用于续期的刷新令牌；请重新登录
error-cannot-narrow = 提供方没有签发刷新令牌，因此无法申请其他令牌；请申请离线访问权限后重新登录
error-superseded = 这个刷新令牌已在 { $seconds } 秒前被替换；请重新登录，或使用当前的令牌
error-keychain-unavailable = { $store ->
    [macos] macOS 钥匙串
    [windows] Windows 凭据管理器
   *[other] 系统钥匙串（Secret Service）
}不可用（{ $detail }）
error-keychain-damaged = 钥匙串中的条目已损坏，已忽略
error-config-read = 无法读取配置文件 { $path }：{ $detail }
error-config-write = 无法写入配置文件 { $path }：{ $detail }
error-config-parse = 配置文件 { $path } 在 { $place } 处无效：{ $detail }
error-bad-issuer = 颁发者“{ $issuer }”不是 URL
error-insecure-issuer = 颁发者“{ $issuer }”是另一台电脑上的明文 http，途中任何人都能读到令牌；请使用它的 https 地址（明文 http 只用于本机上的提供方）
error-bad-account-name = “{ $name }”不能用作账户名：请使用最多 32 个字母、数字、点、连字符和下划线，并以字母或数字开头
error-account-exists = 已有名为“{ $name }”的账户
error-same-keychain-item = 账户“{ $first }”和“{ $next }”会把会话存到同一个钥匙串条目中（含冒号的客户端 ID 看起来像另一个账户的名称）；请给其中一个改名
error-not-in-file = 账户“{ $name }”不在配置文件 { $path } 中（它来自命令行选项或环境变量）：请把它加到该文件中，才能设为默认账户

## 会话以及窗口请求的结果

session-expired = 你的会话已过期。请重新登录。
session-other-user = 提供方为另一个用户续期了会话。请重新登录。
session-refused = 你的会话已结束：提供方不再接受它。请重新登录。
session-memory-only = { $why }：你的登录只保存在内存中，pkce-tray 退出后即失效。
signed-out = 已退出登录。
signed-out-here-only = 已在本机退出登录，但你在提供方的会话可能仍然有效：{ $why }。如要在那里也结束会话，请在 { $place } 退出登录
signed-out-no-revocation = pkce-tray 无法请求提供方结束会话（提供方不支持吊销）
signed-out-unconfirmed = 提供方没有确认结束（{ $detail }）
account-added = 已添加账户 { $name }。请在下方登录。
account-not-added = 账户未添加：{ $why }
start-at-login-failed = 无法更改“{ window-start-at-login }”：{ $detail }。
notifications-not-kept = 未能保存“{ window-notifications }”设置：{ $why }
