-- A model normalized earlier under the same key (live/normcache.py).
SELECT model FROM zplus_meta.normalized WHERE key = %(key)s
