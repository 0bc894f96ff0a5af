-- wrk script: Imshop asking for a buyer's order history, as in README.md.
wrk.method = "POST"
wrk.body = '{"userIdentifier":"2","page":1}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-imshop-key"
