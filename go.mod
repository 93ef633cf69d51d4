module github.com/distans/distans

go 1.26.8
