"""Templates, styles, icons, fonts and sample articles shipped with the app."""
