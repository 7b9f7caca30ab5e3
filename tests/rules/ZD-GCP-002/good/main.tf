variable "ubla" {}

resource "google_storage_bucket" "uniform" {
  name                        = "acme-uniform"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

# unresolvable: unknown is never reported as a failure
resource "google_storage_bucket" "configurable" {
  name                        = "acme-configurable"
  location                    = "EU"
  uniform_bucket_level_access = var.ubla
}
