variable "sa_email" {}

# dedicated service account: cloud-platform is fine, IAM limits access
resource "google_compute_instance" "web" {
  name         = "web-1"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }

  service_account {
    email  = "web-frontend@acme-prod.iam.gserviceaccount.com"
    scopes = ["cloud-platform"]
  }
}

# default service account with narrow scopes
resource "google_compute_instance_template" "workers" {
  name_prefix  = "workers-"
  machine_type = "e2-standard-4"

  disk {
    source_image = "debian-cloud/debian-12"
  }

  network_interface {
    network = "default"
  }

  service_account {
    scopes = ["logging-write", "monitoring-write", "storage-ro"]
  }
}

# unresolvable: unknown is never reported as a failure
resource "google_compute_instance" "configurable" {
  name         = "batch-1"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }

  service_account {
    email  = var.sa_email
    scopes = ["cloud-platform"]
  }
}
