# One image for hostflow's processes: `worker`, `starter`, and `sandbox` (the local stand-ins
# for WHM, Namecheap and minFraud).
FROM golang:1.26.11 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/worker ./worker && CGO_ENABLED=0 go build -o /out/starter ./starter && \
    CGO_ENABLED=0 go build -o /out/sandbox ./sandbox

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/ /usr/local/bin/
USER nonroot
