# pkce-tray の日本語。同じものには同じ言葉を：「サインイン」「サインアウト」
# 「セッション」「アカウント」「プロバイダー」「キーチェーン」。です・ます調。

## セッションの状態

status-signed-in-as = { $who } としてサインイン中
status-signed-in = サインイン中
status-signing-in-again = { $who } としてサインイン中。もう一度サインインしています…
status-signing-in = サインインしています…
status-failed = サインインできませんでした
status-signed-out = サインアウトしました

## トレイのメニュー

menu-not-signed-in = サインインしていません
menu-account-line = { $account }：{ $state }
menu-keychain = キーチェーンを使えません：終了するまでサインイン中
menu-provider-sign-out = プロバイダーでまだサインイン中ですか？そちらでサインアウト…
menu-sign-in = サインイン…
menu-cancel = サインインを取り消す
menu-sign-out = サインアウト
menu-notifications = 通知
menu-start-at-login = ログイン時に起動
menu-open = pkce-tray を開く
menu-quit = 終了
menu-other-ended = セッション終了
menu-other-signed-out = サインインしていません
menu-other-signed-in-as = { $who } としてサインイン中
menu-other-signed-in = サインイン中
menu-other-signing-in-again = { $who } としてサインイン中。もう一度サインインしています…
menu-other-signing-in = サインインしています…
menu-other-failed = サインインできませんでした
menu-sign-in-to = { $account } にサインイン…
menu-cancel-sign-in-to = { $account } へのサインインを取り消す
menu-sign-out-of = { $account } からサインアウト
menu-use-as-default = { $account } を既定にする

## ツールチップ

tooltip = pkce-tray：{ $state }
tooltip-provider = プロバイダーにセッションが残っている可能性があります
tooltip-keychain = キーチェーンを使えません
tooltip-attention = { $accounts } の確認が必要です

## 通知

notice-session-ended = セッションが終了しました
notice-session-ended-named = { $account }：セッションが終了しました
notice-session-ended-who = { $who } はサインインしていません。
notice-session-ended-you = サインインしていません。
notice-signed-in = サインインしました
notice-signed-in-named = { $account }：サインインしました
notice-signed-in-who = { $who } としてサインインしました。
notice-signed-in-done = サインインが完了しました。
notice-client-signed-in = サインインが完了しました
notice-client-signed-in-named = { $account }：サインインが完了しました
notice-client-signed-in-body = このコンピューターのプログラムが求めたサインインで、その答えはプログラムに渡りました。
notice-sign-in-failed = サインインできませんでした
notice-sign-in-failed-named = { $account }：サインインできませんでした
notice-not-saved = セッションを保存できませんでした
notice-not-saved-named = { $account }：セッションを保存できませんでした
notice-not-saved-body = キーチェーンに保存できませんでした。pkce-tray を終了するまで有効です。
notice-sign-in = サインイン

## サインインの最後にブラウザーが表示するページ

page-success-title = サインインしました
page-success-text = pkce-tray がサインインを受け取りました。このタブは閉じてかまいません。
page-failure-title = サインインが完了しませんでした

## ウィンドウ

window-loading = 読み込んでいます…
window-sign-in-hint = アカウントでサインインしてください。ブラウザーでサインインページが開きます。終わったらここに戻ってください。
window-sign-in = サインイン
window-provider-sign-out = プロバイダーからもサインアウト
window-finish-in-browser = ブラウザーでサインインを完了してください。
window-reopen = サインインページをもう一度開く
window-cancel = 取り消す
window-retry = もう一度試す
window-offer = pkce-tray の実行中は、ほかのツールもこのサインインを使えます。再起動後も使えるようにするには、下の「{ window-start-at-login }」をオンにしてください。
window-sign-out = サインアウト
window-other-accounts = ほかのアカウント
window-add-account = アカウントを追加
window-add-account-hint = pkce-tray はプロバイダーを確認してから、アカウントを設定ファイルに保存します。
window-name = 名前
window-issuer = プロバイダー（発行者）
window-client-id = クライアント ID
window-checking = プロバイダーを確認しています…
window-notifications = 通知
window-start-at-login = ログイン時に起動
window-api = ローカル PKCE API：
window-expiry = セッションは自動で更新されます（トークンの有効期限：{ $time }）。
window-default = { $account }（既定）
window-sign-in-to = { $account } にサインイン
window-cancel-sign-in-to = { $account } へのサインインを取り消す
window-sign-out-of = { $account } からサインアウト
window-use-as-default = 既定にする
window-use-as-default-label = { $account } を既定のアカウントにする
