from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts: sign-up, invitations, settings and API tokens"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from accounts.lockout import on_user_locked_out

        user_locked_out.connect(on_user_locked_out, dispatch_uid="accounts.lockout")
