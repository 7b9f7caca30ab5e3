variable "region" {}

provider "aws" {
  region = "eu-central-1"
}

provider "aws" {
  alias  = "unknown"
  region = var.region
}

provider "google" {
  project = "demo"
  region  = "europe-west1"
}

resource "azurerm_resource_group" "rg" {
  name     = "demo"
  location = "West Europe"
}

resource "google_storage_bucket" "archive" {
  name     = "demo-archive"
  location = "EU"
}

data "aws_region" "current" {}
