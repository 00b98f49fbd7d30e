"""The office's notice pages, the recipient's inbox, and the acknowledgement link.

Every change goes through a service; a bad or expired link answers 400 with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hazeguard_platform.accounts.personal_data import sees_contact_data
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.notices.messages import AckTokenError, ack_token_recipient
from hazeguard_platform.notices.models import DeliveryState, Recipient
from hazeguard_platform.notices.receipts import ReceiptError, sms_receipt_record
from hazeguard_platform.notices.selectors import (
    inbox_for_user,
    notice_for_user,
    notices_for_user,
    overdue_recipients,
    recipient_statuses,
)
from hazeguard_platform.notices.services import notice_acknowledge
from hazeguard_platform.notices.transports import SIGNATURE_HEADER, TIMESTAMP_HEADER

PAGE_SIZE = 50


@login_required
@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    """The office's notices with counts of recipients, acknowledgements and failures."""
    now = timezone.now()
    overdue = (
        Recipient.objects.filter(overdue_recipients(now), notice=OuterRef("pk"))
        .values("notice")
        .annotate(count=Count("pk"))
        .values("count")
    )
    notices = (
        notices_for_user(request.user)
        .annotate(
            overdue_count=Coalesce(Subquery(overdue), 0),
            recipient_count=Count("recipients", distinct=True),
            acknowledged_count=Count(
                "recipients", filter=Q(recipients__acknowledged_at__isnull=False), distinct=True
            ),
            failed_count=Count(
                "recipients__deliveries",
                filter=Q(recipients__deliveries__state=DeliveryState.FAILED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )  # an aggregate query drops Meta.ordering
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page, "now": now})


@login_required
@require_safe
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice: per recipient, sent / delivered / acknowledged times against the deadline."""
    notice = notice_for_user(request.user, pk)
    rows = recipient_statuses(notice)
    context = {
        "notice": notice,
        "rows": rows,
        "failures": [row for row in rows if row.failed],
        "escalations": notice.escalations.order_by("created_at"),
        # Commanders see a failed delivery's address masked; the office that repairs it, whole.
        "show_contacts": sees_contact_data(request.user, notice.jurisdiction_id),
    }
    return render(request, "notices/detail.html", context)


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notices, with a button to acknowledge each."""
    page = Paginator(inbox_for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The inbox button: the signed-in recipient acknowledges."""
    notice_acknowledge(recipient_id=pk, user=request.user)
    messages.success(request, _("Acknowledged."))
    return redirect("notices:inbox")


# The link is its own credential (a signed token) and uses no session or cookie, so there is no
# cross-site request to forge; a receiving system may POST it without a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    """The link in e-mail and SMS. GET shows the notice and a button (mail scanners that fetch
    links must not acknowledge for the reader); POST acknowledges."""
    try:
        recipient_id = ack_token_recipient(token)
    except AckTokenError as error:
        return render(request, "notices/acknowledge.html", {"error": str(error)}, status=400)
    recipient = Recipient.objects.select_related("notice").filter(pk=recipient_id).first()
    if recipient is None:
        return render(
            request,
            "notices/acknowledge.html",
            {"error": _("This notice no longer exists.")},
            status=404,
        )
    if request.method == "POST":
        try:
            recipient = notice_acknowledge(token=token)
        except InvalidInputError as error:
            return render(request, "notices/acknowledge.html", {"error": error.message}, status=400)
    return render(request, "notices/acknowledge.html", {"recipient": recipient, "token": token})


# The gateway signs its receipts (HMAC with a shared secret) and sends no cookie: the signature
# is the credential, so there is no session to forge a request against.
@csrf_exempt
@require_POST
def sms_receipt(request: HttpRequest) -> JsonResponse:
    """The SMS gateway's delivery receipt callback (docs/notices.md, "Delivery receipts")."""
    try:
        delivery = sms_receipt_record(
            body=request.body,
            timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
            signature=request.headers.get(SIGNATURE_HEADER, ""),
            now=timezone.now(),
        )
    except ReceiptError as refused:
        return JsonResponse(refused.as_dict(), status=refused.status)
    return JsonResponse(
        {
            "delivery": delivery.pk,
            "state": delivery.state,
            "receipt_status": delivery.receipt_status,
            "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
        }
    )
