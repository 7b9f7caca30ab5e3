# omitted: the provider default is false
resource "google_storage_bucket" "defaults" {
  name     = "acme-defaults"
  location = "EU"
}

resource "google_storage_bucket" "acls" {
  name                        = "acme-acls"
  location                    = "EU"
  uniform_bucket_level_access = false
}
