module audisp-ecs/tests/golumber

go 1.19

require github.com/elastic/go-lumber v0.1.0

require github.com/klauspost/compress v1.17.4 // indirect
