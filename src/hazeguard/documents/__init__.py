"""Word documents people exchange: site sign (公示牌) and site plan (一厂一策)."""
