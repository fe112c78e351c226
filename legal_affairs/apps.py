from django.apps import AppConfig


class LegalAffairsConfig(AppConfig):
    name = "legal_affairs"
    verbose_name = "乡镇涉法事务与法律顾问"
