resource "google_compute_subnetwork" "app" {
  name          = "app"
  ip_cidr_range = "10.10.0.0/24"
  region        = "europe-west1"
  network       = "prod"

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# proxy-only subnets cannot record flow logs
resource "google_compute_subnetwork" "proxy_only" {
  name          = "proxy-only"
  ip_cidr_range = "10.129.0.0/23"
  region        = "europe-west1"
  network       = "prod"
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
}

# unresolvable: a dynamic log_config driven by an unknown list
resource "google_compute_subnetwork" "configurable" {
  name          = "configurable"
  ip_cidr_range = "10.30.0.0/24"
  region        = "europe-west1"
  network       = "prod"

  dynamic "log_config" {
    for_each = var.flow_logs
    content {
      aggregation_interval = log_config.value.interval
    }
  }
}
