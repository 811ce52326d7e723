"""The stand-in Radarr v3 API: the synthetic library as full-size movie resources, tags and the
bulk editor, shaped by Radarr's OpenAPI document, with API-key auth."""
