from django.urls import path

from ruche.health import views

app_name = "health"

urlpatterns = [
    path("sante/", views.dashboard, name="dashboard"),
    path("sante/export.csv", views.export_csv, name="export-csv"),
    path("sante/export.json", views.export_json, name="export-json"),
    path("sante/alertes/", views.alert_settings, name="alert-settings"),
]
