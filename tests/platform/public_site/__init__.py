"""Tests of the public app. Named public_site, not public: a package ``public`` here would shadow
atpublic's ``public``, which aiosmtpd imports."""
