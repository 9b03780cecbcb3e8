"""反作弊 / fraud-proof data: audience-quality score, fake followers, livestream viewbots and fake orders (刷单)."""
