"""The build folder and the published site: what a build writes, and how it stays safe.

``files`` writes only the files whose bytes changed, removes the ones no longer made, builds
the new site beside the old one and swaps it in with one rename, and holds a lock so that two
builds of one folder never overlap; ``parallel`` shares work between forked processes on large
sites, with the same bytes as one process.
"""
