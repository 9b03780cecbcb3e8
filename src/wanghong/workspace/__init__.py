"""工作台 / workspaces: the business loop in the web UI for brands, creators and MCNs (营销活动, 商品, 合作管理)."""
