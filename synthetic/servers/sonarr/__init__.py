"""The stand-in Sonarr v3 API: the synthetic series library as full-size series resources, tags
and the series editor, shaped by Sonarr's OpenAPI document, with API-key auth."""
