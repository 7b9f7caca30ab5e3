resource "google_compute_firewall" "ssh_world" {
  name          = "allow-ssh"
  network       = "default"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_firewall" "admin_range" {
  name          = "allow-admin"
  network       = "prod"
  direction     = "INGRESS"
  source_ranges = ["10.0.0.0/8", "0.0.0.0/0"]

  allow {
    protocol = "icmp"
  }

  allow {
    protocol = "tcp"
    ports = [
      "443",
      "3000-4000",
    ]
  }
}

variable "world" {
  default = "::/0"
}

# all TCP ports (no ports list), IPv6 from a variable default
resource "google_compute_firewall" "all_tcp_v6" {
  name          = "allow-tcp-v6"
  network       = "prod"
  source_ranges = [var.world]

  allow {
    protocol = "tcp"
  }
}

resource "google_compute_firewall" "everything" {
  name          = "allow-all"
  network       = "prod"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "all"
  }
}
