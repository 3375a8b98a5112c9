"""Background jobs: reading a report and polling a feed, on a maintained queue.

With PostgreSQL the jobs go on procrastinate's queue (transactional enqueue, retries with
back-off, locks, periodic tasks, workers on any number of machines; ``refuge worker`` runs
one). With the embedded SQLite default there is no queue and no extra service: the same job
functions run in-process, at once, with the same retries.

    queue = open_queue(store_url)
    queue.defer("ingest_report", content=..., name="report.html")

``tasks`` holds the job functions (plain functions over a store), ``runs`` what refuge records
of each run (state, attempts, the error that parked it), ``queue`` the two ways to run them and
``worker`` procrastinate's app and worker.
"""
