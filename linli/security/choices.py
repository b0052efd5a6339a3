from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    CRITICAL = "critical", _("紧急")
    MAJOR = "major", _("重要")
    MINOR = "minor", _("次要")
    WARNING = "warning", _("警告")
    INDETERMINATE = "indeterminate", _("不确定")


SEVERITY_RANK = {"critical": 5, "major": 4, "minor": 3, "warning": 2, "indeterminate": 1}


class AlarmStatus(models.TextChoices):
    OPEN = "open", _("未确认")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    CLEARED = "cleared", _("已消除")
    CLOSED = "closed", _("已关闭")


class Resolution(models.TextChoices):
    REAL = "real", _("真实事件")
    FALSE = "false", _("误报")
    TEST = "test", _("测试")
    FAULT = "fault", _("设备故障")


class NoteKind(models.TextChoices):
    COMMENT = "comment", _("备注")
    ACK = "ack", _("确认")
    ASSIGN = "assign", _("指派")
    CLEAR = "clear", _("消除")
    CLOSE = "close", _("关闭")
    ESCALATE = "escalate", _("升级")
    REPEAT = "repeat", _("重复")


class CredentialKind(models.TextChoices):
    CARD = "card", _("IC卡")
    QR = "qr", _("二维码")
    PIN = "pin", _("密码")
    FACE = "face", _("人脸")


NON_FACE = {CredentialKind.CARD, CredentialKind.QR, CredentialKind.PIN}
# Device profiles that let people in, and so hold credentials.
GATE_PROFILES = ("gate", "face_terminal")
