resource "aws_ecr_repository" "app" {
  name = "app"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_repository" "worker" {
  name                 = "worker"
  image_tag_mutability = "MUTABLE"
}

resource "aws_ecr_repository_creation_template" "team" {
  prefix               = "team-a"
  applied_for          = ["CREATE_ON_PUSH"]
  image_tag_mutability = "MUTABLE_WITH_EXCLUSION"

  image_tag_mutability_exclusion_filter {
    filter      = "release-*"
    filter_type = "WILDCARD"
  }
}
