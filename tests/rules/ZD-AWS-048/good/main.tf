variable "mutability" {}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}

# only the moving "latest" tag may be overwritten
resource "aws_ecr_repository" "base" {
  name                 = "base"
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"

  image_tag_mutability_exclusion_filter {
    filter      = "latest"
    filter_type = "WILDCARD"
  }
}

# unresolvable: unknown is never reported as a failure
resource "aws_ecr_repository" "configurable" {
  name                 = "configurable"
  image_tag_mutability = var.mutability
}
