"""Customers: the service (service.py), the grid's rows, filters, scopes and pages."""

from services.service_layer.customers.filters import Filters, filter_names, looks_like_uuid, sort_keys
from services.service_layer.customers.rows import CustomerRow
from services.service_layer.customers.service import Contact, Customer, CustomerService

__all__ = ["Contact", "Customer", "CustomerRow", "CustomerService", "Filters", "filter_names", "looks_like_uuid",
           "sort_keys"]
