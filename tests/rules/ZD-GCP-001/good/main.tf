variable "reader" {}

resource "google_storage_bucket_iam_member" "team" {
  bucket = "acme-assets"
  role   = "roles/storage.objectViewer"
  member = "group:web-team@example.com"
}

resource "google_storage_bucket_iam_binding" "service_accounts" {
  bucket  = "acme-reports"
  role    = "roles/storage.objectViewer"
  members = ["serviceAccount:reporter@acme-prod.iam.gserviceaccount.com"]
}

resource "google_storage_bucket_acl" "private" {
  bucket         = "acme-legacy"
  predefined_acl = "projectPrivate"
}

# unresolvable: unknown is never reported as a failure
resource "google_storage_bucket_iam_member" "configurable" {
  bucket = "acme-assets"
  role   = "roles/storage.objectViewer"
  member = var.reader
}
