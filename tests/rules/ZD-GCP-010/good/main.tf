variable "admin_cidr" {}

resource "google_container_cluster" "restricted" {
  name               = "gke-restricted"
  location           = "europe-west1"
  initial_node_count = 1

  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = "203.0.113.0/24"
      display_name = "office"
    }
  }
}

resource "google_container_cluster" "private_endpoint" {
  name               = "gke-private"
  location           = "europe-west1"
  initial_node_count = 1

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = true
    master_ipv4_cidr_block  = "172.16.0.16/28"
  }
}

# google provider v6: DNS endpoint only, IP endpoints off
resource "google_container_cluster" "dns_only" {
  name               = "gke-dns"
  location           = "europe-west1"
  enable_autopilot   = true

  control_plane_endpoints_config {
    dns_endpoint_config {
      allow_external_traffic = true
    }

    ip_endpoints_config {
      enabled = false
    }
  }
}

# unresolvable: unknown is never reported as a failure
resource "google_container_cluster" "configurable" {
  name               = "gke-configurable"
  location           = "europe-west1"
  initial_node_count = 1

  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = var.admin_cidr
      display_name = "admins"
    }
  }
}
