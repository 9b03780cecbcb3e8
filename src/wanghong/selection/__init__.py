"""选品广场 (as 精选联盟 / 好物联盟): brands open products for distribution at a commission rate, creators browse
them, request samples (申样, the brand approves) and put them in a livestream's 购物车; content submissions with
their compliance pre-check and versions."""
