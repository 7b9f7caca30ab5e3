resource "google_compute_firewall" "everything" {
  name          = "allow-all"
  network       = "prod"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "all"
  }
}

resource "google_compute_firewall" "all_udp" {
  name          = "allow-all-udp"
  network       = "prod"
  direction     = "INGRESS"
  source_ranges = ["203.0.113.0/24", "0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }

  allow {
    protocol = "udp"
  }
}

variable "world" {
  default = "0.0.0.0/0"
}

resource "google_compute_firewall" "full_range" {
  name          = "allow-tcp-range"
  network       = "prod"
  source_ranges = [var.world]

  allow {
    protocol = "tcp"
    ports    = ["0-65535"]
  }
}
