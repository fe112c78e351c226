"""The portal's identity in every page's footer (网站标识码, ICP备案号, 公安机关备案号), from settings."""
from django.conf import settings


def site_identity(request):
    return {"site_identity": {
        "host": settings.HUZHOU_SITE_HOST,
        "site_code": settings.HUZHOU_SITE_CODE,
        "icp": settings.HUZHOU_ICP_NUMBER,
        "psb": settings.HUZHOU_PSB_NUMBER,
    }}
