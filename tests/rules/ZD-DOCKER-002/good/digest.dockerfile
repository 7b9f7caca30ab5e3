# "latest" but pinned by digest: immutable
FROM alpine:latest@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
FROM registry.example.com:5000/platform/base:2024.06.1 AS base
FROM ${BASE_IMAGE}
FROM ubuntu:24.04
