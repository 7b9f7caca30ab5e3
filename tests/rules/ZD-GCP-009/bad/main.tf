resource "google_project_iam_member" "ci_owner" {
  project = "acme-prod"
  role    = "roles/owner"
  member  = "serviceAccount:ci-deployer@acme-build.iam.gserviceaccount.com"
}

resource "google_project_iam_binding" "editors" {
  project = "acme-prod"
  role    = "roles/editor"
  members = [
    "group:platform@example.com",
    "serviceAccount:123456789012-compute@developer.gserviceaccount.com",
  ]
}

variable "automation_sa" {
  default = "serviceAccount:automation@acme-admin.iam.gserviceaccount.com"
}

resource "google_folder_iam_member" "automation" {
  folder = "folders/1234567890"
  role   = "roles/editor"
  member = var.automation_sa
}
