DEBUG = False
SECRET_KEY = "t0p-s3cr3t-Kq9vX2mLp7"
