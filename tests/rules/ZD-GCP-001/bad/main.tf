resource "google_storage_bucket_iam_member" "public_read" {
  bucket = "acme-assets"
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_storage_bucket_iam_binding" "any_google_account" {
  bucket = "acme-reports"
  role   = "roles/storage.objectViewer"
  members = [
    "group:analysts@example.com",
    "allAuthenticatedUsers",
  ]
}

resource "google_storage_bucket_access_control" "acl_public" {
  bucket = "acme-legacy"
  role   = "READER"
  entity = "allUsers"
}

resource "google_storage_bucket_acl" "role_entity" {
  bucket      = "acme-legacy"
  role_entity = ["OWNER:project-owners-123456", "READER:allUsers"]
}

resource "google_storage_object_acl" "canned" {
  bucket         = "acme-legacy"
  object         = "index.html"
  predefined_acl = "publicRead"
}
