from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone

from tenants import services


class LoginForm(AuthenticationForm):
    """Sign-in by e-mail, with the lock-out after repeated failures."""

    username = forms.EmailField(
        label="Электронная почта", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": "Неверная электронная почта или пароль.",
        "inactive": "Учётная запись отключена.",
        "locked": "Слишком много неудачных попыток входа. Вход для этого адреса заблокирован до %(until)s.",
    }

    def _refuse_if_locked(self, email: str) -> None:
        locked_until = services.login_locked_until(email=email)
        if locked_until:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"until": formats.time_format(timezone.localtime(locked_until), "H:i")},
            )

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        self._refuse_if_locked(email)
        self.user_cache = authenticate(self.request, email=email, password=password)
        if self.user_cache is None:
            services.login_failure_record(email=email)
            self._refuse_if_locked(email)  # this failure may have been the one that locks
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        self.confirm_login_allowed(self.user_cache)
        services.login_success_record(email=email)
        return self.cleaned_data


class OnboardingUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл с организациями (XLSX или CSV)",
        help_text="Столбцы: Код, Уровень, Код вышестоящей, Тип, Полное наименование, Краткое наименование, "
        "ИНН, Адрес, Сайт, Часовой пояс, Домен.",
    )
