"""The forms of the account pages and of a workspace's members page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from mue.accounts.models import Profile, time_zone_choices
from mue.core.models import Role


def style(form: forms.BaseForm) -> None:
    """Give the widgets Tabler's classes (the templates render fields with ``web/_field.html``)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


#: One message for every failed sign-in, whether the account exists or not (no user enumeration).
INVALID_LOGIN = _("The user name, email or password is not right. Check them and try again.")


class LoginForm(AuthenticationForm):
    """Django's login form, with one message for an unknown account and a wrong password."""

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": INVALID_LOGIN,
                      "inactive": INVALID_LOGIN}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name or email")
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254
        style(self)

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(INVALID_LOGIN, code="invalid_login")


class ProfileForm(forms.ModelForm):
    """The user's name, email, language and time zone."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = Profile
        fields = ["language", "time_zone"]

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        initial = kwargs.setdefault("initial", {})
        initial.update(first_name=user.first_name, last_name=user.last_name, email=user.email)
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.order_fields(["first_name", "last_name", "email", "language", "time_zone"])
        style(self)

    def save(self, commit: bool = True) -> Profile:
        for name in ("first_name", "last_name", "email"):
            setattr(self.user, name, self.cleaned_data[name])
        self.user.save(update_fields=["first_name", "last_name", "email"])
        return super().save(commit)


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


def _can_edit_field() -> forms.BooleanField:
    return forms.BooleanField(label=_("An auditor may also edit the register"), required=False)


class RoleForm(StyledForm):
    role = _role_field()
    can_edit = _can_edit_field()


class InviteForm(StyledForm):
    """Invite someone by email: they receive a link to join (with an account of their own)."""

    email = forms.EmailField(label=_("Email"))
    role = _role_field()
    can_edit = _can_edit_field()


class _NewAccountFields(StyledForm):
    username = forms.CharField(label=_("User name"), max_length=150,
                               help_text=_("Letters, digits and @ . + - _ only."))

    def clean_username(self) -> str:
        User = get_user_model()
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User._default_manager.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is already taken."), code="taken")
        return username


class CreateMemberForm(_NewAccountFields):
    """Create the account directly: the owner passes the password (shown once) on to the person."""

    email = forms.EmailField(label=_("Email"), required=False)
    role = _role_field()
    can_edit = _can_edit_field()


class AcceptInvitationForm(_NewAccountFields):
    """A person invited without an account yet chooses their user name and password."""

    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class StyledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class StyledPasswordResetForm(PasswordResetForm):
    """Django's reset form: it mails only existing active accounts and says nothing about the others."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class StyledSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)
