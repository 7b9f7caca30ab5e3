provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

provider "google" {
  project = "demo"
  region  = "us-central1"
}

resource "azurerm_resource_group" "rg" {
  name     = "demo"
  location = "East US"
}

resource "google_storage_bucket" "archive" {
  name     = "demo-archive"
  location = "US"
}
