"""Bankruptcy, write-offs and agency referrals."""

urlpatterns: list = []
