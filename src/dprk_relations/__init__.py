"""Reproduction library for Bondaz (FRS, 2023), "Isolation or integration? North Korea's diplomatic network"."""
