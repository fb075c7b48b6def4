// One broker serves every test and some tests stop it: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
