variable "auto_upgrade" {}

resource "google_container_node_pool" "managed" {
  name       = "managed"
  cluster    = "gke-prod"
  location   = "europe-west1"
  node_count = 2

  management {
    auto_repair  = true
    auto_upgrade = true
  }
}

# omitted: GKE auto-upgrades by default
resource "google_container_node_pool" "defaults" {
  name       = "defaults"
  cluster    = "gke-prod"
  location   = "europe-west1"
  node_count = 1
}

# unresolvable: unknown is never reported as a failure
resource "google_container_node_pool" "configurable" {
  name       = "configurable"
  cluster    = "gke-prod"
  location   = "europe-west1"
  node_count = 1

  management {
    auto_upgrade = var.auto_upgrade
  }
}
