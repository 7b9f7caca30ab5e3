variable "member" {}

# a narrow predefined role
resource "google_project_iam_member" "ci_deployer" {
  project = "acme-prod"
  role    = "roles/run.developer"
  member  = "serviceAccount:ci-deployer@acme-build.iam.gserviceaccount.com"
}

# a human group, not a service account (a different concern)
resource "google_project_iam_binding" "owners" {
  project = "acme-prod"
  role    = "roles/owner"
  members = ["group:cloud-admins@example.com"]
}

# unresolvable: unknown is never reported as a failure
resource "google_project_iam_member" "configurable" {
  project = "acme-prod"
  role    = "roles/editor"
  member  = var.member
}

# interpolated member: unresolvable today (documented in "Does not catch")
resource "google_project_iam_member" "interpolated" {
  project = "acme-prod"
  role    = "roles/owner"
  member  = "serviceAccount:${google_service_account.app.email}"
}
