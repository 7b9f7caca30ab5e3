variable "trusted" {}

resource "google_compute_firewall" "internal_all" {
  name          = "allow-internal"
  network       = "prod"
  source_ranges = ["10.128.0.0/9"]

  allow {
    protocol = "all"
  }
}

# wide but partial range: not this rule
resource "google_compute_firewall" "high_ports" {
  name          = "allow-high"
  network       = "prod"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["1024-65535"]
  }

  allow {
    protocol = "icmp"
  }
}

resource "google_compute_firewall" "egress_all" {
  name               = "allow-egress"
  network            = "prod"
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "all"
  }
}

# unresolvable: unknown is never reported as a failure
resource "google_compute_firewall" "configurable" {
  name          = "allow-configurable"
  network       = "prod"
  source_ranges = [var.trusted]

  allow {
    protocol = "all"
  }
}
