variable "admin_range" {}

# IAP TCP forwarding only
resource "google_compute_firewall" "ssh_iap" {
  name          = "allow-ssh-iap"
  network       = "prod"
  source_ranges = ["35.235.240.0/20"]

  allow {
    protocol = "tcp"
    ports    = ["22", "3389"]
  }
}

# public web ports only
resource "google_compute_firewall" "web" {
  name          = "allow-web"
  network       = "prod"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["80", "443", "8000-8100"]
  }

  allow {
    protocol = "udp"
    ports    = ["22"]
  }
}

resource "google_compute_firewall" "disabled" {
  name          = "allow-ssh-disabled"
  network       = "prod"
  disabled      = true
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_firewall" "egress" {
  name               = "allow-ssh-out"
  network            = "prod"
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

# deny rules are not exposure
resource "google_compute_firewall" "deny_rdp" {
  name          = "deny-rdp"
  network       = "prod"
  source_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "tcp"
    ports    = ["3389"]
  }
}

# unresolvable: unknown is never reported as a failure
resource "google_compute_firewall" "configurable" {
  name          = "allow-ssh-configurable"
  network       = "prod"
  source_ranges = [var.admin_range]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
