"""A trivial page: whether the application answers. It reads no data, so it is also the
baseline the benchmarks compare every page with (same middleware, no work)."""

from django.http import HttpResponse


def health(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
