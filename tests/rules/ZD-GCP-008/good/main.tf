variable "serial" {}

resource "google_compute_instance" "app" {
  name         = "app-1"
  machine_type = "e2-small"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }

  metadata = {
    enable-oslogin     = "TRUE"
    serial-port-enable = "FALSE"
  }
}

resource "google_compute_project_metadata" "project" {
  metadata = {
    enable-oslogin = "TRUE"
  }
}

# another metadata key set to TRUE is not the serial console
resource "google_compute_project_metadata_item" "oslogin" {
  key   = "enable-oslogin"
  value = "TRUE"
}

# unresolvable: unknown is never reported as a failure
resource "google_compute_project_metadata_item" "configurable" {
  key   = "serial-port-enable"
  value = var.serial
}
