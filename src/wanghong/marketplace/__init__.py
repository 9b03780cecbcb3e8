"""达人广场: brands find creators (search, filters, 收藏夹, side-by-side compare), read a creator's 达人详情, and
creators keep their 报价 (rate card)."""
