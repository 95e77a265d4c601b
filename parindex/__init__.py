"""parindex: the platform on which a city runs its administrative-reform year."""
