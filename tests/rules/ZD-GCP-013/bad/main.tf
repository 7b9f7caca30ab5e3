resource "google_compute_subnetwork" "app" {
  name          = "app"
  ip_cidr_range = "10.10.0.0/24"
  region        = "europe-west1"
  network       = "prod"
}

resource "google_compute_subnetwork" "data" {
  name          = "data"
  ip_cidr_range = "10.20.0.0/24"
  region        = "europe-west1"
  network       = "prod"
  purpose       = "PRIVATE"
}
