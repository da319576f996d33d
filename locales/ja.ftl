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
menu-cancel = サインインをキャンセル
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
menu-cancel-sign-in-to = { $account } へのサインインをキャンセル
menu-sign-out-of = { $account } からサインアウト
menu-use-as-default = { $account } を既定にする

## ツールチップ

tooltip = pkce-tray：{ $state }
tooltip-provider = プロバイダーにセッションが残っている可能性があります
tooltip-keychain = キーチェーンを使えません
tooltip-joined = { $first }。{ $next }
list-joined = { $first }、{ $next }
sentences-joined = { $first }{ $next }
tooltip-attention = { $accounts } の確認が必要です

## 通知

notice-session-ended = セッションが終了しました
notice-session-ended-named = { $account }：セッションが終了しました
notice-session-ended-who = { $who } はサインアウトされました。
notice-session-ended-you = サインアウトされました。
notice-signed-in = サインインしました
notice-signed-in-named = { $account }：サインインしました
notice-signed-in-who = { $who } としてサインインしました。
notice-signed-in-done = サインインが完了しました。
notice-client-signed-in = サインインが完了しました
notice-client-signed-in-named = { $account }：サインインが完了しました
notice-client-signed-in-body = このコンピューター上のプログラムが要求したサインインです。結果はそのプログラムに渡されました。
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
window-provider-sign-out-of = { $account } をプロバイダーからもサインアウト
window-finish-in-browser = ブラウザーでサインインを完了してください。
window-reopen = サインインページをもう一度開く
window-cancel = キャンセル
window-retry = もう一度試す
window-offer = pkce-tray の実行中は、ほかのツールもこのサインインを使えます。再起動後も使えるようにするには、下の「{ window-start-at-login }」をオンにしてください。
window-sign-out = サインアウト
window-other-accounts = ほかのアカウント
window-details = 詳細
window-details-of = { $account } の詳細
window-redirect-uris = 登録するリダイレクト URI
window-kept-in-keychain = システムのキーチェーンに保存
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
window-cancel-sign-in-to = { $account } へのサインインをキャンセル
window-sign-out-of = { $account } からサインアウト
window-use-as-default = 既定にする
window-use-as-default-label = { $account } を既定のアカウントにする
window-announced = { $state }。{ $why }

## 失敗した理由、終了した理由。プロバイダーやシステムが理由を示した
## ときは、その言葉のまま続きます。

error-other = { $detail }
error-busy = すでにサインインが進行中です
error-unknown-account = 「{ $name }」という名前のアカウントはありません。既存のアカウント：{ $known }
error-redirect-refused = プロバイダーがサインインの要求を拒否しました（{ $cause }）。ポート { $wanted } が使用中か、このユーザーには許可されていないため、pkce-tray はポート { $port } で待ち受けています。リダイレクト URI を完全一致で照合するプロバイダーは、登録された URI しか受け付けません。{ $redirect } をプロバイダーに登録するか、pkce-tray がポート { $wanted } を使えるようにしてから起動し直してください
error-unknown-state = この state を待っているサインインはありません。不明か、期限切れか、すでに使用済みです
error-wrong-callback = この応答はサインインを送った URI ではなく、別のアカウントのリダイレクト URI に戻ってきたため拒否しました。サインインは引き続きプロバイダーを待っています
error-already-waiting = このサインインの応答を待っている要求がすでにあります
error-challenge-mismatch = code_challenge がこの state に対して発行されたものと一致しません
error-cleared = プロバイダーが応答する前にサインインが破棄されました
error-too-many-waiting = すでに { $count } 件のサインインがブラウザーを待っています。どれかを完了するかキャンセルしてから、もう一度お試しください
error-browser-timed-out = ブラウザーが { $minutes } 分以内に戻りませんでした。もう一度お試しください。
error-cancelled = サインインはキャンセルされたか、拒否されました（{ $description }）。
error-provider-answered = プロバイダーが { $error } を返しました：{ $description }
error-unreachable = { $host } のサインインサービスに接続できませんでした。ネットワーク接続を確認して、もう一度お試しください。
error-untrusted = { $host } のプロバイダーが、このコンピューターが信頼していない証明書を提示しました。独自の認証局によるものなら、その認証局をシステムの証明書ストアに追加するか、その PEM ファイルを SSL_CERT_FILE に指定してください
error-refused = プロバイダーが拒否しました：{ $description }（{ $error }）。
error-provider-status = プロバイダーは要求（{ $what }）に { $status } で応答し、OAuth エラーを返しませんでした
error-provider-status-bare = プロバイダーは要求（{ $what }）に { $status } で応答し、それ以上何も返しませんでした
error-bad-response = プロバイダーの応答が OpenID Connect ではありません：{ $detail }
error-invalid-id-token = ID トークンが拒否されました：{ $detail }
error-no-revocation = プロバイダーには失効エンドポイントがありません
error-no-pushed-requests = プロバイダーは Pushed Authorization Requests（RFC 9126）を必須としていますが、pushed_authorization_request_endpoint を示していません
error-no-device-flow = プロバイダーは別のデバイスからのサインインに対応していません（ディスカバリー文書に device_authorization_endpoint がありません）。ブラウザーでサインインするか、SSH 経由で `pkce-tray sign-in --no-browser` とポート転送を使ってサインインしてください
error-not-signed-in = サインインしていません
error-cannot-renew = アクセストークンは { $seconds } 秒後に期限が切れ、更新するためのリフレッシュトークンがありません。もう一度サインインしてください
error-cannot-narrow = プロバイダーがリフレッシュトークンを発行しなかったため、別のトークンを要求できません。オフラインアクセスを付けてもう一度サインインしてください
error-superseded = このリフレッシュトークンは { $seconds } 秒前に置き換えられました。もう一度サインインするか、現在のトークンを使ってください
error-keychain-unavailable = { $store ->
    [macos] macOS のキーチェーン
    [windows] Windows の資格情報マネージャー
   *[other] システムのキーチェーン（Secret Service）
}を利用できません（{ $detail }）
error-keychain-damaged = キーチェーンの項目が壊れていたため、無視しました
error-config-read = 設定ファイル { $path } を読み込めません：{ $detail }
error-config-write = 設定ファイル { $path } に書き込めません：{ $detail }
error-config-parse = 設定ファイル { $path } の { $place } が正しくありません：{ $detail }
error-bad-issuer = 発行者「{ $issuer }」は URL ではありません
error-insecure-issuer = 発行者「{ $issuer }」は別のコンピューター上の暗号化されていない http で、途中の誰でもトークンを読めてしまいます。https のアドレスを使ってください（http はこのコンピューター上のプロバイダーに限ります）
error-bad-account-name = 「{ $name }」はアカウント名に使えません。英字か数字で始まる、32 文字以内の英字・数字・ピリオド・ハイフン・アンダースコアを使ってください
error-account-exists = 「{ $name }」という名前のアカウントはすでにあります
error-same-keychain-item = アカウント「{ $first }」と「{ $next }」はセッションを同じキーチェーン項目に保存してしまいます（コロンを含むクライアント ID は別のアカウント名のように見えます）。どちらかの名前を変えてください
error-not-in-file = アカウント「{ $name }」は設定ファイル { $path } にありません（オプションか環境変数によるものです）。既定にするには、そのファイルに追加してください

## セッションと、ウィンドウからの要求の結果

session-expired = セッションの期限が切れました。もう一度サインインしてください。
session-other-user = プロバイダーが別のユーザーのセッションとして更新しました。もう一度サインインしてください。
session-refused = セッションが終了しました。プロバイダーがこのセッションを受け付けなくなりました。もう一度サインインしてください。
session-memory-only = { $why }。サインイン情報はメモリーにのみ保持され、pkce-tray を終了すると消えます。
signed-out = サインアウトしました。
signed-out-here-only = このコンピューターではサインアウトしましたが、プロバイダーのセッションはまだ有効かもしれません：{ $why }。そちらも終了するには、{ $place } でサインアウトしてください
signed-out-no-revocation = pkce-tray からプロバイダーに終了を依頼できません（プロバイダーが失効に対応していません）
signed-out-unconfirmed = プロバイダーが終了を確認しませんでした（{ $detail }）
account-added = アカウント { $name } を追加しました。下からサインインしてください。
account-not-added = アカウントを追加できませんでした：{ $why }
start-at-login-failed = 「{ window-start-at-login }」を変更できませんでした：{ $detail }。
notifications-not-kept = 「{ window-notifications }」の設定を保存できませんでした：{ $why }
