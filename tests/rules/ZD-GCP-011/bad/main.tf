resource "google_container_node_pool" "pinned" {
  name       = "pinned"
  cluster    = "gke-prod"
  location   = "europe-west1"
  node_count = 2

  management {
    auto_repair  = true
    auto_upgrade = false
  }
}

resource "google_container_cluster" "inline_pools" {
  name     = "gke-inline"
  location = "europe-west1"

  node_pool {
    name       = "default"
    node_count = 1
  }

  node_pool {
    name       = "legacy"
    node_count = 1

    management {
      auto_upgrade = "false"
    }
  }
}
